"""The demo newsroom that `manage.py load_demo` loads: its stories (`stories`), the pictures and
clips drawn for them (`pictures`), and the loader itself (`loader`)."""
