"""The course for reading away from the site: one printable page, and the whole site as a zip."""
