"""Flask blueprints: thin views over the services."""
