// Command self-test is what the action's self-test workflow builds. Its dependencies come
// only through the GOPROXY chain the action exported (or the snapshot it restored), and it
// fails unless they work: a build that passes on half a module is no proof.
package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/semver"
	"golang.org/x/sync/errgroup"
)

func main() {
	versions := []string{"v1.10", "v1.2.0", "v1.9.0-rc.1", "v1.9.0"}
	canonical := make([]string, len(versions))
	var g errgroup.Group
	for i, v := range versions {
		i, v := i, v
		g.Go(func() error {
			if !semver.IsValid(v) {
				return fmt.Errorf("%s is not a semantic version", v)
			}
			canonical[i] = semver.Canonical(v)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		fmt.Fprintln(os.Stderr, "self-test:", err)
		os.Exit(1)
	}
	semver.Sort(canonical)
	got := strings.Join(canonical, " ")
	const want = "v1.2.0 v1.9.0-rc.1 v1.9.0 v1.10.0"
	if got != want {
		fmt.Fprintf(os.Stderr, "self-test: sorted %q, want %q\n", got, want)
		os.Exit(1)
	}
	fmt.Println("self-test:", got)
}
