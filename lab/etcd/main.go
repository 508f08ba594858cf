// Command etcd is the upstream etcd server, built from the published
// go.etcd.io/etcd/server/v3 module. This file is the only glue: it hands the
// command line to etcdmain exactly as upstream's own etcd binary does.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
