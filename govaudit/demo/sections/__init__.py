"""Demo portal sections; each module defines contribute(site). 'base' runs first."""
