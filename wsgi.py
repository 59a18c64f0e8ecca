"""WSGI entry point: `gunicorn wsgi:app`."""
from coaching import create_app

app = create_app()
