"""Training the repair model: synthetic MT noise and training-pair preparation."""
