"""Rendering: the domain model → {output path: bytes}. Pure; nothing here touches the disk."""
