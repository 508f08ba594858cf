//go:build tools

// Package crds only exists so that `go mod tidy` keeps the
// external-snapshotter client module required: its module zip carries the
// snapshot.storage.k8s.io CRD manifests that the lab installs.
package crds

import (
	_ "github.com/kubernetes-csi/external-snapshotter/client/v8/apis/volumesnapshot/v1"
)
