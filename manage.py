#!/usr/bin/env python
"""Django's command-line utility; the installed `dangvu` script does the same."""

from dangvu.__main__ import main

if __name__ == "__main__":
    main()
