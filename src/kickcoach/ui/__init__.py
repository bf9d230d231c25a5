"""The Gradio web UI: ``build_app(services)`` builds it, ``launch(services)`` serves it."""
