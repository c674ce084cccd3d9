from casegraph.cli import run

run()
