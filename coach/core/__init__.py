"""The UI-free core: sessions, schedules, ratings, relief. No textual, rich or simpleaudio."""
