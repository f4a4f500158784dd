"""
FastAPI router for the bench app.
"""

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from core.db.session import get_db

from .models import Item

router = APIRouter(
    tags=["bench"],
)


@router.get("/hello")
async def hello():
    return {"message": "hello"}


@router.get("/items/{item_id}")
def get_item(item_id: int, db: Session = Depends(get_db)):
    item = db.get(Item, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="item not found")
    return {"id": item.id, "name": item.name}
