"""Exports: calendar files and charts, made from domain data."""
