"""The web page (``geoscout serve``): ask a question, watch the agents' steps stream in, get the map, the
data with its sources and quotes, and the run's files; open earlier runs. ``steps`` renders steps as chat
messages, ``runs`` a run folder, ``page`` the Gradio page itself."""
