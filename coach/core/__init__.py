"""The UI-free core: sessions, schedules, ratings and relief. Never imports textual, rich or simpleaudio."""
