"""The app: the service the pages and the CLI ask (service/, no Streamlit) and the Streamlit glue (ui/)."""
