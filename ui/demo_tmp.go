package ui

import (
	"errors"
	"time"

	"github.com/egovmd/egovsetup/checks/cert"
)

func demoCert(time.Time) (*cert.Loaded, error) { return nil, errors.New("demo not ready") }
