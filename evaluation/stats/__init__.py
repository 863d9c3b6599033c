"""Small statistics used to turn ratings into figures; numpy only."""
