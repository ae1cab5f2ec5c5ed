"""The example site's own app: demo content for the Amplification Room (``manage.py load_demo``)."""
