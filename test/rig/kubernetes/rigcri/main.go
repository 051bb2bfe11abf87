// rigcri talks to the rig's container runtime over the CRI, the API the kubelet itself
// uses (no crictl package exists here, and ctr cannot see the CRI layer):
//
//	rigcri <socket> image <ref>   exits 0 if the CRI layer sees the image (prints its id)
//	rigcri <socket> remove-pods   stops and removes every pod sandbox
//
// The rig imports its images with ctr; containerd's CRI layer keeps its own index of
// them, which only this can check. Removing pods through the CRI (rather than killing
// tasks) lets containerd tear down each pod's network and mounts the regular way, so
// stopping the rig leaves no interface or mount behind.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	runtime "k8s.io/cri-api/pkg/apis/runtime/v1"
)

func main() {
	if len(os.Args) < 3 {
		fail(2, "usage: rigcri <socket> image <ref> | remove-pods")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := grpc.NewClient("unix://"+os.Args[1], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fail(2, err.Error())
	}
	defer conn.Close()
	switch os.Args[2] {
	case "image":
		if len(os.Args) != 4 {
			fail(2, "usage: rigcri <socket> image <ref>")
		}
		res, err := runtime.NewImageServiceClient(conn).ImageStatus(ctx, &runtime.ImageStatusRequest{
			Image: &runtime.ImageSpec{Image: os.Args[3]},
		})
		if err != nil {
			fail(2, err.Error())
		}
		if res.Image == nil {
			fail(1, "the runtime does not see "+os.Args[3])
		}
		fmt.Println(res.Image.Id)
	case "remove-pods":
		rt := runtime.NewRuntimeServiceClient(conn)
		list, err := rt.ListPodSandbox(ctx, &runtime.ListPodSandboxRequest{})
		if err != nil {
			fail(2, err.Error())
		}
		for _, pod := range list.Items {
			if _, err := rt.StopPodSandbox(ctx, &runtime.StopPodSandboxRequest{PodSandboxId: pod.Id}); err != nil {
				fail(2, "stop "+pod.Metadata.Name+": "+err.Error())
			}
			if _, err := rt.RemovePodSandbox(ctx, &runtime.RemovePodSandboxRequest{PodSandboxId: pod.Id}); err != nil {
				fail(2, "remove "+pod.Metadata.Name+": "+err.Error())
			}
		}
		fmt.Printf("%d pod sandboxes removed\n", len(list.Items))
	default:
		fail(2, "unknown command "+os.Args[2])
	}
}

func fail(code int, msg string) {
	fmt.Fprintln(os.Stderr, "rigcri:", msg)
	os.Exit(code)
}
