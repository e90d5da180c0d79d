"""WTForms for the web app: they check shape; rules across rows live in the services."""
