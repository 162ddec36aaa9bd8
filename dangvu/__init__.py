"""dangvu: the Party-building work of a grassroots Party Committee and its cells."""
