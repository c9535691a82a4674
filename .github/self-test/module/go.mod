module example.com/go-resilient-setup/self-test

go 1.21

require (
	golang.org/x/mod v0.19.0
	golang.org/x/sync v0.7.0
)
