"""Maillage: the information system of rural social-innovation support."""
