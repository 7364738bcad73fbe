"""Readers that turn a source of codes into :class:`~central_codes.records.RegistryData`."""
