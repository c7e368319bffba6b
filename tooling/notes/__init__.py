"""The files are the database: finding note files, splitting and parsing front matter, editing
fields in place, writing atomically, and turning text into ids. Nothing here knows about links,
the graph or the site.
"""
