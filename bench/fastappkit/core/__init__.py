"""
Core module for the fastappkit benchmark project.
"""
