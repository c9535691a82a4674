# The Go releases this project supports, at both ends. CI tests both; the README states the
# range. Sourced by install-go.sh and run.
GO_OLDEST=1.23
GO_NEWEST=1.27
