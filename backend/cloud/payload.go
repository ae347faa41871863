package cloud

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/npcstudio/npcstudio/backend/dataset"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/lore"
)

// LoreReplaces is what the confirmation of a lore push says: the guidance's hydration job
// deletes and re-creates the whole index on every upload.
const LoreReplaces = "This file replaces everything the stage's lore index holds: the hydration job deletes the index and rebuilds it from this one file. Documents not in it will no longer be found by the deployed RAG endpoint."

// LoreSource is the documents of one lore push: a collection or chosen documents.
type LoreSource struct {
	Collection string   `json:"collection,omitempty"`
	Docs       []string `json:"docs,omitempty"`
}

// LoreRequest builds the request of a lore push: one combined UTF-8 .txt of the documents,
// each under its name as a heading, to lore/<name>.txt in the stage's lore bucket.
func LoreRequest(lib *lore.Library, src LoreSource, st Status) (Request, error) {
	var docs []lore.Document
	var name, what string
	switch {
	case src.Collection != "" && len(src.Docs) > 0:
		return Request{}, fault.Invalid("collection", "give a collection or documents, not both")
	case src.Collection != "":
		docs = lib.List(lore.DocFilter{Collections: []string{src.Collection}})
		if len(docs) == 0 {
			return Request{}, fault.Invalid("collection", "collection %q has no documents (npcstudio lore list shows them)", src.Collection)
		}
		name = src.Collection
		what = fmt.Sprintf("lore collection %q (%d documents)", src.Collection, len(docs))
	case len(src.Docs) > 0:
		for _, ref := range src.Docs {
			d, err := lib.Get(ref)
			if err != nil {
				return Request{}, &fault.ValidationError{Field: "docs", Reason: err.Error()}
			}
			docs = append(docs, d)
		}
		name = strings.TrimSuffix(docs[0].Name, extOf(docs[0].Name))
		if len(docs) > 1 {
			name = fmt.Sprintf("%s and %d more", name, len(docs)-1)
		}
		what = fmt.Sprintf("lore documents %s", docNames(docs))
	default:
		return Request{}, fault.Invalid("collection", "give a collection or at least one document")
	}
	if st.LoreBucket == "" {
		return Request{}, fmt.Errorf("the %s lore bucket of %s was not found: run npcstudio cloud status: %w", st.Deployment.Stage, st.Deployment.Workload, fault.ErrUnavailable)
	}
	slug := ASCIIKey(name)
	if slug == "" {
		slug = "lore"
	}
	d := st.Deployment
	return Request{
		Kind: KindLore, What: what, Deployment: d, By: st.Identity.ARN,
		Bucket: st.LoreBucket, Key: "lore/" + slug + ".txt", ContentType: "text/plain; charset=utf-8", Ext: ".txt",
		Trigger:  fmt.Sprintf("hydration: SageMaker processing job %s<time> rebuilds the %s lore index", d.IngestJobPrefix(), d.Stage),
		Replaces: LoreReplaces,
		Write: func(w io.Writer) error {
			bw := bufio.NewWriterSize(w, 256<<10)
			for i, doc := range docs {
				if i > 0 {
					bw.WriteString("\n\n")
				}
				fmt.Fprintf(bw, "%s\n\n", doc.Name)
				if err := copyDocText(lib, doc, bw); err != nil {
					return err
				}
			}
			return bw.Flush()
		},
	}, nil
}

func extOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		return name[i:]
	}
	return ""
}

func docNames(docs []lore.Document) string {
	names := make([]string, 0, 3)
	for i, d := range docs {
		if i == 3 {
			return strings.Join(names, ", ") + fmt.Sprintf(" and %d more", len(docs)-3)
		}
		names = append(names, d.Name)
	}
	return strings.Join(names, ", ")
}

// copyDocText copies a document's text, refusing anything that is not UTF-8 (the hydration
// job reads UTF-8 only). The library stores UTF-8 already; this guards the promise.
func copyDocText(lib *lore.Library, doc lore.Document, w io.Writer) error {
	rc, err := lib.Text(doc.ID)
	if err != nil {
		return fmt.Errorf("lore document %s: %w", doc.Name, err)
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 256<<10)
	line := 0
	for {
		s, err := br.ReadString('\n')
		if len(s) > 0 {
			line++
			if !utf8.ValidString(s) {
				return &fault.ValidationError{File: doc.Name, Line: line, Reason: "not UTF-8 text"}
			}
			if _, werr := io.WriteString(w, s); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read lore document %s: %w", doc.Name, err)
		}
	}
}

// DatasetInvalidError refuses a dataset push that Bedrock would reject: nothing was uploaded.
type DatasetInvalidError struct {
	What   string             `json:"what"`
	Report dataset.PairReport `json:"report"`
}

func (e *DatasetInvalidError) Error() string {
	n := e.Report.Training.ErrorCount
	if e.Report.Validation != nil {
		n += e.Report.Validation.ErrorCount
	}
	first := ""
	if len(e.Report.Training.Errors) > 0 {
		first = ": first: " + e.Report.Training.Errors[0].Error()
	}
	return fmt.Sprintf("%s fails validation with %d errors%s; fix them (npcstudio dataset validate) and push again: nothing was uploaded", e.What, n, first)
}
func (e *DatasetInvalidError) ErrorCode() string { return "dataset_invalid" }

// DatasetSource is what a dataset push sends: a dataset version of the workspace, or a file.
type DatasetSource struct {
	DatasetID string `json:"datasetId,omitempty"`
	// Version 0 is the latest.
	Version int    `json:"version,omitempty"`
	File    string `json:"file,omitempty"`
	// BaseModel is the Bedrock base model the tuning job starts from; "" is the dataset's.
	BaseModel string `json:"baseModel,omitempty"`
}

// DatasetRequest validates the dataset against the base model and builds the request of its
// push: the records in the base model's format, to a fresh
// npcstudio/<name>/<time>-<hash>/raw-data/data.jsonl key in the tuning bucket.
func DatasetRequest(ctx context.Context, repo *dataset.Repository, src DatasetSource, st Status, now time.Time) (Request, error) {
	if st.TuningBucket == "" {
		return Request{}, fmt.Errorf("the tuning bucket of %s was not found: run npcstudio cloud status: %w", st.Deployment.Workload, fault.ErrUnavailable)
	}
	var what, name string
	// A file is copied into the staged file through Write, hashed as it is copied; a
	// dataset version is exported to it (Produce) and hashed after.
	var copyIn func(w io.Writer) error
	var export func(path string) error
	switch {
	case src.File != "" && src.DatasetID != "":
		return Request{}, fault.Invalid("file", "give a dataset or a file, not both")
	case src.File != "":
		if src.BaseModel == "" {
			return Request{}, fault.Invalid("baseModel", "a file push needs the base model the tuning job starts from (--base-model)")
		}
		rep, err := dataset.ValidateFile(ctx, src.File, dataset.Options{BaseModel: src.BaseModel})
		if err != nil {
			return Request{}, err
		}
		what = "dataset file " + src.File
		if !rep.Valid {
			return Request{}, &DatasetInvalidError{What: what, Report: dataset.PairReport{Valid: false, Training: rep}}
		}
		name = strings.TrimSuffix(baseName(src.File), extOf(src.File))
		file := src.File
		copyIn = func(w io.Writer) error {
			f, err := os.Open(file)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(w, f)
			return err
		}
	case src.DatasetID != "":
		ds, err := repo.GetDataset(ctx, src.DatasetID)
		if err != nil {
			return Request{}, err
		}
		if src.BaseModel != "" && src.BaseModel != ds.BaseModel {
			return Request{}, fault.Invalid("baseModel", "dataset %s is made for %s: change its base model in the dataset first", ds.Name, ds.BaseModel)
		}
		if ds.BaseModel == "" {
			return Request{}, fault.Invalid("baseModel", "dataset %s has no base model: set one (the tuning job needs it) and push again", ds.Name)
		}
		model, err := dataset.LookupBaseModel(ds.BaseModel)
		if err != nil {
			return Request{}, err
		}
		rep, err := repo.ValidateVersion(ctx, dataset.ValidateVersionRequest{DatasetID: ds.ID, Version: src.Version})
		if err != nil {
			return Request{}, err
		}
		version := src.Version
		if version == 0 {
			version = ds.Head
		}
		what = fmt.Sprintf("dataset %q version %d (%d records, %s)", ds.Name, version, rep.Training.Records, model.Name)
		if !rep.Valid {
			return Request{}, &DatasetInvalidError{What: what, Report: rep}
		}
		format := ds.Format
		if !model.Allows(format) {
			format = model.Formats[0]
		}
		name = ds.Name
		export = func(path string) error {
			_, err := repo.Export(ctx, dataset.ExportRequest{DatasetID: ds.ID, Version: version, Format: format, Path: path})
			return err
		}
	default:
		return Request{}, fault.Invalid("dataset", "give a dataset or a file")
	}
	d := st.Deployment
	slug := ASCIIKey(name)
	if slug == "" {
		slug = "dataset"
	}
	stamp := now.UTC().Format("20060102T150405Z")
	return Request{
		Kind: KindDataset, What: what, Deployment: d, By: st.Identity.ARN, Bucket: st.TuningBucket,
		ContentType: "application/jsonl", Ext: ".jsonl",
		Trigger: fmt.Sprintf("tuning: SageMaker pipeline %s (DataPreprocessing, FineTuning, ModelEvaluation, Register) and a Bedrock customization job", d.FMOpsPipeline()),
		KeyFor: func(sum string) string {
			return "npcstudio/" + slug + "/" + stamp + "-" + sum[:8] + "/raw-data/data.jsonl"
		},
		Write:   copyIn,
		Produce: export,
	}, nil
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
