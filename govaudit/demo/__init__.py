"""The bundled demo portal: a county-government site with planted defects, served on 127.0.0.1."""
