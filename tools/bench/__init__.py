"""`make bench` (issue 13): the app's pages under wrk against a realistic database.

run.py drives it (see its docstring for the options), data.py builds the database with the
app's code, report.py does the arithmetic and the table, requests.lua is wrk's script.
"""
