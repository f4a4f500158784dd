"""
Main entry point for the fastappkit benchmark project.

Run with: uvicorn main:app   (from this directory; see serve.sh)
"""

from core.app import app

if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=8000)
