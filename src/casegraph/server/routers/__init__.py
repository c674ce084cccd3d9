"""The REST API, one router per noun, and the HTML pages."""
