"""
Database module for the fastappkit benchmark project.
"""
