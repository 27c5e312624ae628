"""One thin module per Lambda: parse the event, call a pipeline step, return."""
