"""Ways out of Upright: the printable handout (PDF and HTML), and later calendars and FHIR."""
