package panther_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// Rotate the API token and save the new one. The persist function would
// normally write to a secret manager.
func ExampleClient_RotateToken() {
	srv := panthertest.NewServer()
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	vault := map[string]string{}
	newToken, err := client.RotateToken(ctx, func(ctx context.Context, token string) error {
		vault["panther-api-token"] = token
		return nil
	})
	if errors.Is(err, panther.ErrTokenNotPersisted) {
		// Rotated but not saved: newToken is the only working token now.
		log.Printf("save the new token by hand: %v", err)
	} else if err != nil {
		log.Fatal(err)
	}

	_, err = generated.GetGeneralSettings(ctx, client) // uses the new token
	fmt.Println("saved:", vault["panther-api-token"] == newToken)
	fmt.Println("client works:", err == nil)
	// Output:
	// saved: true
	// client works: true
}
