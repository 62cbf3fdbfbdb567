"""API views: thin (validate → one service or selector → serialize)."""
