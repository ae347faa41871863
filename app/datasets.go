package app

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"sync"

	"github.com/npcstudio/npcstudio/backend/dataset"
	"github.com/npcstudio/npcstudio/backend/store"
)

// DatasetService curates the workspace's tuning datasets: records paged into the grid, edits
// as new versions, find and replace, tags, duplicates, a seeded split, and the long work
// (import, validation, export) as operations that report progress.
type DatasetService struct {
	a *App

	mu   sync.Mutex
	st   *store.Store
	repo *dataset.Repository
}

// Kinds of the dataset operations, as their events report them.
const (
	OpDatasetImport       = "dataset.import"
	OpDatasetValidate     = "dataset.validate"
	OpDatasetValidateFile = "dataset.validate-file"
	OpDatasetExport       = "dataset.export"
)

// repository returns the repository of the open workspace. It is kept while the workspace
// stays open, so the grid's paging hits its caches of decoded records.
func (s *DatasetService) repository() (*dataset.Repository, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.repo == nil || s.st != st {
		s.st, s.repo = st, dataset.NewRepository(st)
	}
	return s.repo, nil
}

// DatasetRequest names one dataset.
type DatasetRequest struct {
	ID string `json:"id"`
}

// DatasetVersionRequest names a version of a dataset (0: the latest).
type DatasetVersionRequest struct {
	DatasetID string `json:"datasetId"`
	Version   int    `json:"version"`
}

// RecordRequest names one record of a version (0: the latest).
type RecordRequest struct {
	DatasetID string `json:"datasetId"`
	Version   int    `json:"version"`
	ID        string `json:"id"`
}

// DatasetTargets are what a dataset can be made for: the fine-tunable base models with their
// limits, and the record formats.
type DatasetTargets struct {
	BaseModels []dataset.BaseModel `json:"baseModels"`
	Formats    []dataset.Format    `json:"formats"`
}

// AddedRecord is a new record and the version it made.
type AddedRecord struct {
	Record  dataset.RecordView `json:"record"`
	Version dataset.Version    `json:"version"`
}

// DatasetImportRequest starts an import. The window picks OpID and follows "op:<OpID>"
// before calling; the operation ends with done (a dataset.ImportResult) or error.
type DatasetImportRequest struct {
	OpID   string                `json:"opId"`
	Import dataset.ImportRequest `json:"import"`
}

// DatasetValidateRequest starts validating a version as its export would be checked by
// Bedrock; done carries a dataset.PairReport whose lines are the grid's.
type DatasetValidateRequest struct {
	OpID     string                         `json:"opId"`
	Validate dataset.ValidateVersionRequest `json:"validate"`
}

// FileValidateRequest starts validating a JSON Lines file on disk (before importing it, or
// a file made elsewhere); done carries a dataset.Report whose lines are the file's.
type FileValidateRequest struct {
	OpID      string         `json:"opId"`
	Path      string         `json:"path"`
	Format    dataset.Format `json:"format"`
	BaseModel string         `json:"baseModel"`
	BatchSize int            `json:"batchSize"`
	// Purpose is "training" (the default) or "validation".
	Purpose dataset.Purpose `json:"purpose"`
}

// DatasetExportRequest starts writing a version as JSON Lines; done carries a
// dataset.ExportResult.
type DatasetExportRequest struct {
	OpID   string                `json:"opId"`
	Export dataset.ExportRequest `json:"export"`
}

// DatasetProgress is what a dataset operation reports while it runs: Done of Total, counted
// in Unit ("bytes" of a file read, "records" of a version).
type DatasetProgress struct {
	Done  int64  `json:"done"`
	Total int64  `json:"total"`
	Unit  string `json:"unit"`
}

// reportTo returns a callback that reports a backend Progress on op (which keeps it to one
// event every progressEvery). done picks the count out of the Progress.
func reportTo(op *Op, unit string, total int64, done func(dataset.Progress) int64) func(dataset.Progress) {
	return func(p dataset.Progress) {
		op.Progress(DatasetProgress{Done: done(p), Total: total, Unit: unit})
	}
}

func progressBytes(p dataset.Progress) int64   { return p.Bytes }
func progressRecords(p dataset.Progress) int64 { return int64(p.Lines) }

// List returns every dataset, by name.
func (s *DatasetService) List() (out []dataset.Dataset, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return nil, err
	}
	return r.ListDatasets(s.a.ctx())
}

// Targets lists the base models and record formats a dataset can target.
func (s *DatasetService) Targets() (out DatasetTargets, err error) {
	defer guard(s.a.log, &err)
	return DatasetTargets{BaseModels: dataset.BaseModels(), Formats: dataset.Formats}, nil
}

// Create makes an empty dataset.
func (s *DatasetService) Create(req dataset.CreateDatasetRequest) (out dataset.Dataset, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return out, err
	}
	out, err = r.CreateDataset(s.a.ctx(), req)
	if err == nil {
		s.a.log.Info("dataset created", "dataset", out.ID, "baseModel", out.BaseModel, "format", out.Format)
	}
	return out, err
}

// Get returns one dataset.
func (s *DatasetService) Get(req DatasetRequest) (out dataset.Dataset, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return out, err
	}
	return r.GetDataset(s.a.ctx(), req.ID)
}

// Update renames a dataset or changes its base model and format.
func (s *DatasetService) Update(req dataset.UpdateDatasetRequest) (out dataset.Dataset, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return out, err
	}
	return r.UpdateDataset(s.a.ctx(), req)
}

// Delete removes a dataset with every version and record.
func (s *DatasetService) Delete(req DatasetRequest) (err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return err
	}
	if err = r.DeleteDataset(s.a.ctx(), req.ID); err == nil {
		s.a.log.Info("dataset deleted", "dataset", req.ID)
	}
	return err
}

// Versions lists a dataset's versions, newest first.
func (s *DatasetService) Versions(req DatasetRequest) (out []dataset.Version, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return nil, err
	}
	return r.ListVersions(s.a.ctx(), req.ID)
}

// Page returns one page of records (at most 1,000), filtered by tag or text, or the page
// holding a line.
func (s *DatasetService) Page(req dataset.PageRequest) (out dataset.Page, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return out, err
	}
	return r.PageRecords(s.a.ctx(), req)
}

// Record returns one record.
func (s *DatasetService) Record(req RecordRequest) (out dataset.RecordView, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return out, err
	}
	return r.GetRecord(s.a.ctx(), req.DatasetID, req.Version, req.ID)
}

// AddRecord appends a record as a new version.
func (s *DatasetService) AddRecord(req dataset.AddRecordRequest) (out AddedRecord, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return out, err
	}
	out.Record, out.Version, err = r.AddRecord(s.a.ctx(), req)
	return out, err
}

// AddFromChat saves a chat exchange (with the writer's corrected reply) as a training record.
func (s *DatasetService) AddFromChat(req dataset.ChatExample) (out AddedRecord, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return out, err
	}
	out.Record, out.Version, err = r.AddFromChat(s.a.ctx(), req)
	return out, err
}

// UpdateRecord saves an edited record as a new version. BaseVersion is the version the writer
// edited; if the dataset has changed since, the edit is refused with code "conflict".
func (s *DatasetService) UpdateRecord(req dataset.UpdateRecordRequest) (out dataset.Version, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return out, err
	}
	return r.UpdateRecord(s.a.ctx(), req)
}

// DeleteRecords removes records as a new version.
func (s *DatasetService) DeleteRecords(req dataset.DeleteRecordsRequest) (out dataset.Version, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return out, err
	}
	return r.DeleteRecords(s.a.ctx(), req)
}

// FindReplace counts matches (a preview with samples) or, with Apply, replaces them as a new version.
func (s *DatasetService) FindReplace(req dataset.FindReplaceRequest) (out dataset.FindReplaceResult, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return out, err
	}
	return r.FindReplace(s.a.ctx(), req)
}

// Tag adds and removes tags on records as a new version.
func (s *DatasetService) Tag(req dataset.TagRequest) (out dataset.Version, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return out, err
	}
	return r.TagRecords(s.a.ctx(), req)
}

// Tags lists the tags of a version, most used first.
func (s *DatasetService) Tags(req DatasetVersionRequest) (out []dataset.TagCount, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return nil, err
	}
	return r.Tags(s.a.ctx(), req.DatasetID, req.Version)
}

// Dedupe finds exact (and, with Near, near) duplicates and, with Apply, removes all but the
// first of each group as a new version.
func (s *DatasetService) Dedupe(req dataset.DedupeRequest) (out dataset.DedupeResult, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return out, err
	}
	return r.Dedupe(s.a.ctx(), req)
}

// Split previews a seeded train/validation split; Validate and Export make the same split.
func (s *DatasetService) Split(req dataset.SplitRequest) (out dataset.SplitResult, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return out, err
	}
	return r.Split(s.a.ctx(), req)
}

// Diff compares two versions, a page of changes at a time.
func (s *DatasetService) Diff(req dataset.DiffRequest) (out dataset.Diff, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return out, err
	}
	return r.Diff(s.a.ctx(), req)
}

// Import reads a JSON Lines or CSV file into a dataset as one new version. It returns the
// operation id at once; progress is the bytes of the file read.
func (s *DatasetService) Import(req DatasetImportRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return "", err
	}
	in := req.Import
	if in.Path, err = s.a.userPath("path", in.Path); err != nil {
		return "", err
	}
	if _, err := r.GetDataset(s.a.ctx(), in.DatasetID); err != nil {
		return "", err
	}
	info, err := statFile("path", in.Path)
	if err != nil {
		return "", err
	}
	return s.a.ops.Start(req.OpID, OpDatasetImport, func(ctx context.Context, op *Op) (any, error) {
		in.OnProgress = reportTo(op, "bytes", info.Size(), progressBytes)
		res, err := r.Import(ctx, in)
		if err == nil {
			s.a.log.Info("dataset imported", "dataset", in.DatasetID, "version", res.Version.Number, "imported", res.Imported, "skipped", res.Skipped)
		}
		return res, err
	})
}

// Validate checks a version as Bedrock would check its exported files, against the dataset's
// base model. It returns the operation id at once; progress is the records validated.
func (s *DatasetService) Validate(req DatasetValidateRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return "", err
	}
	in := req.Validate
	ds, err := r.GetDataset(s.a.ctx(), in.DatasetID)
	if err != nil {
		return "", err
	}
	return s.a.ops.Start(req.OpID, OpDatasetValidate, func(ctx context.Context, op *Op) (any, error) {
		in.OnProgress = reportTo(op, "records", int64(ds.Records), progressRecords)
		return r.ValidateVersion(ctx, in)
	})
}

// ValidateFile checks a JSON Lines file without importing it, against a base model's format
// and limits. It needs no workspace. It returns the operation id at once; progress is bytes read.
func (s *DatasetService) ValidateFile(req FileValidateRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	opts := dataset.Options{Format: req.Format, BaseModel: req.BaseModel, BatchSize: req.BatchSize, Purpose: req.Purpose}
	if err := opts.Check(); err != nil {
		return "", &dataset.Problem{Field: optionField(err), Message: err.Error()}
	}
	if req.Path, err = s.a.userPath("path", req.Path); err != nil {
		return "", err
	}
	info, err := statFile("path", req.Path)
	if err != nil {
		return "", err
	}
	return s.a.ops.Start(req.OpID, OpDatasetValidateFile, func(ctx context.Context, op *Op) (any, error) {
		opts.OnProgress = reportTo(op, "bytes", info.Size(), progressBytes)
		return dataset.ValidateFile(ctx, req.Path, opts)
	})
}

// optionField names the request field of a validation option the validator refused.
func optionField(err error) string {
	switch {
	case errors.Is(err, dataset.ErrUnknownFormat):
		return "format"
	case errors.Is(err, dataset.ErrUnknownBaseModel):
		return "baseModel"
	case errors.Is(err, dataset.ErrBatchSize):
		return "batchSize"
	}
	return "purpose"
}

// statFile checks that a file the writer named is there, naming the request field if not.
func statFile(field, path string) (os.FileInfo, error) {
	if path == "" {
		return nil, &dataset.Problem{Field: field, Message: "give a file"}
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &dataset.Problem{Field: field, Message: "there is no file " + path}
	case err != nil:
		return nil, &dataset.Problem{Field: field, Message: err.Error()}
	case info.IsDir():
		return nil, &dataset.Problem{Field: field, Message: path + " is a folder, not a file"}
	}
	return info, nil
}

// Export writes a version (or its seeded train/validation split) as JSON Lines in the target
// format. It returns the operation id at once; progress is the records written.
func (s *DatasetService) Export(req DatasetExportRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repository()
	if err != nil {
		return "", err
	}
	in := req.Export
	if in.Path, err = s.a.userPath("path", in.Path); err != nil {
		return "", err
	}
	if in.ValidationPath, err = s.a.userPath("validationPath", in.ValidationPath); err != nil {
		return "", err
	}
	if in.Path == "" {
		return "", &dataset.Problem{Field: "path", Message: "give the file to write"}
	}
	ds, err := r.GetDataset(s.a.ctx(), in.DatasetID)
	if err != nil {
		return "", err
	}
	return s.a.ops.Start(req.OpID, OpDatasetExport, func(ctx context.Context, op *Op) (any, error) {
		in.OnProgress = reportTo(op, "records", int64(ds.Records), progressRecords)
		res, err := r.Export(ctx, in)
		if err == nil {
			s.a.log.Info("dataset exported", "dataset", in.DatasetID, "format", res.Format, "records", res.Training.Records)
		}
		return res, err
	})
}
