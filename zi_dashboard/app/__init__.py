"""The app: the service the pages and the CLI ask (service.py, no Streamlit) and the Streamlit glue (ui/)."""
