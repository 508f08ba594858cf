// local-path-leader: leader election for the lab's provisioner stand-in.
//
// rancher/local-path-provisioner turns the provisioner library's leader
// election off (LeaderElection(false) in its main.go), so replicas of it
// would all provision the same claims. The OpenEBS provisioner the template
// deploys runs three replicas with leader election; to run the stand-in the
// same way, this program holds a coordination.k8s.io Lease and runs the
// wrapped command only while it leads. Losing the lease ends the process
// (the kubelet restarts the container, which campaigns again); SIGTERM
// releases the lease at once, so a deleted leader hands over without
// waiting for the lease to expire.
//
//	local-path-leader --lease-name NAME [--lease-namespace NS] -- COMMAND ARGS...
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
)

func main() {
	name := flag.String("lease-name", "", "the Lease the replicas compete for")
	namespace := flag.String("lease-namespace", os.Getenv("POD_NAMESPACE"), "the Lease's namespace")
	identity := flag.String("identity", os.Getenv("POD_NAME"), "this replica's name in the Lease")
	leaseDuration := flag.Duration("lease-duration", 10*time.Second, "how long a Lease holds without renewal")
	renewDeadline := flag.Duration("renew-deadline", 7*time.Second, "how long the leader tries to renew before giving up")
	retryPeriod := flag.Duration("retry-period", 2*time.Second, "how often replicas try")
	flag.Parse()
	command := flag.Args()
	if *name == "" || *namespace == "" || *identity == "" || len(command) == 0 {
		log.Fatal("usage: local-path-leader --lease-name NAME [--lease-namespace NS] [--identity ID] -- COMMAND ARGS...")
	}

	config, err := rest.InClusterConfig()
	if err != nil {
		log.Fatalf("in-cluster config: %v", err)
	}
	client := kubernetes.NewForConfigOrDie(config)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	lock := &resourcelock.LeaseLock{
		LeaseMeta:  metav1.ObjectMeta{Name: *name, Namespace: *namespace},
		Client:     client.CoordinationV1(),
		LockConfig: resourcelock.ResourceLockConfig{Identity: *identity},
	}
	// The command's exit code, once it has run: the elector releases the
	// Lease before it calls OnStoppedLeading, which then exits with it.
	exited := make(chan int, 1)
	var led atomic.Bool
	leaderelection.RunOrDie(ctx, leaderelection.LeaderElectionConfig{
		Lock:            lock,
		ReleaseOnCancel: true,
		LeaseDuration:   *leaseDuration,
		RenewDeadline:   *renewDeadline,
		RetryPeriod:     *retryPeriod,
		Callbacks: leaderelection.LeaderCallbacks{
			OnStartedLeading: func(leading context.Context) {
				led.Store(true)
				log.Printf("%s leads %s/%s: starting %v", *identity, *namespace, *name, command)
				exited <- run(leading, command)
				stop() // the command ended on its own: hand the Lease over
			},
			OnStoppedLeading: func() {
				code := 0
				if led.Load() {
					select {
					case code = <-exited:
					case <-time.After(10 * time.Second):
						code = 1
					}
				}
				if ctx.Err() == nil {
					log.Printf("%s lost the lease", *identity)
					os.Exit(1)
				}
				log.Printf("%s stopped; lease released", *identity)
				os.Exit(code)
			},
			OnNewLeader: func(leader string) {
				if leader != *identity {
					log.Printf("%s follows %s", *identity, leader)
				}
			},
		},
	})
}

// run starts the command and waits for it; when leadership ends first, the
// command gets SIGTERM (then SIGKILL after 5 s). Returns the exit code (0
// when it ended on SIGTERM, as asked).
func run(leading context.Context, command []string) int {
	cmd := exec.CommandContext(leading, command[0], command[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil, leading.Err() != nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return exit.ExitCode()
	default:
		log.Printf("%v: %v", command, err)
		return 1
	}
}
