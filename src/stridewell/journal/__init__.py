"""The pain journal: check-ins, their history and the pain trend."""
