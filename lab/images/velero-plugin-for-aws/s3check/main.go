// s3check talks to an S3 endpoint the way Velero's AWS plugin (v1.14.x)
// does with the BackupStorageLocation config
//
//	s3Url: ENDPOINT, s3ForcePathStyle: "true", region: REGION,
//	caCert: <PEM>, checksumAlgorithm: ""
//
// and the credentials file the chart mounts: the same aws-sdk-go-v2 versions
// (this package lives in the plugin's consumer module), the same client
// options (config.go, object_store.go of the plugin), an upload through the
// s3 manager, then get, list and delete. It is a test client for
// lab/scripts/s3.sh, not part of any image.
//
//	go run ./s3check ENDPOINT REGION BUCKET CREDENTIALS_FILE CA_FILE
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func main() {
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: s3check ENDPOINT REGION BUCKET CREDENTIALS_FILE CA_FILE")
		os.Exit(2)
	}
	endpoint, region, bucket, credsFile, caFile := os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5]
	if err := run(endpoint, region, bucket, credsFile, caFile); err != nil {
		fmt.Fprintln(os.Stderr, "s3check: FAIL:", err)
		os.Exit(1)
	}
}

func run(endpoint, region, bucket, credsFile, caFile string) error {
	ctx := context.Background()
	ca, err := os.ReadFile(caFile)
	if err != nil {
		return err
	}
	// Not the system pool plus the CA, as the plugin does: only the lab CA,
	// so that success proves the certificate chains to it.
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		return fmt.Errorf("no certificate in %s", caFile)
	}
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithRegion(region),
		config.WithSharedCredentialsFiles([]string{credsFile}),
		config.WithSharedConfigFiles([]string{credsFile}),
		config.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.TLSClientConfig = &tls.Config{RootCAs: pool}
		})))
	if err != nil {
		return err
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = true
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		o.BaseEndpoint = aws.String(endpoint)
	})

	body := make([]byte, 6<<20) // over the 5 MiB part size: a multipart upload
	if _, err := rand.Read(body); err != nil {
		return err
	}
	key := fmt.Sprintf("s3check/%d.bin", time.Now().UnixNano())
	t0 := time.Now()
	// As the plugin's PutObject: s3 manager, no checksum algorithm set.
	if _, err := manager.NewUploader(client).Upload(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body),
	}); err != nil {
		return fmt.Errorf("upload %s: %w", key, err)
	}
	fmt.Printf("put   s3://%s/%s (%d bytes, multipart) in %v\n", bucket, key, len(body), time.Since(t0).Round(time.Millisecond))
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return fmt.Errorf("get %s: %w", key, err)
	}
	got, err := io.ReadAll(out.Body)
	out.Body.Close()
	if err != nil {
		return err
	}
	if !bytes.Equal(got, body) {
		return fmt.Errorf("get %s: %d bytes differ from what was put", key, len(got))
	}
	fmt.Printf("get   s3://%s/%s: %d bytes, identical\n", bucket, key, len(got))
	list, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("s3check/")})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	found := false
	for _, o := range list.Contents {
		found = found || aws.ToString(o.Key) == key
	}
	if !found {
		return fmt.Errorf("list: %s not listed", key)
	}
	fmt.Printf("list  s3://%s/s3check/: %d object(s), ours included\n", bucket, len(list.Contents))
	if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}); err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	fmt.Printf("del   s3://%s/%s\nOK\n", bucket, key)
	return nil
}
