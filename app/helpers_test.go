package app

import (
	"log/slog"

	bolt "go.etcd.io/bbolt"
)

type bboltTx = bolt.Tx

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
