"""WTForms (through Flask-WTF, with CSRF) for the web views."""
