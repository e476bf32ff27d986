"""Recruitment: calls with their rules as data, applications, scoring, ranking and reserve lists."""
