"""The Lesson page: a guided path through the app, step by step, with predict-then-reveal."""
