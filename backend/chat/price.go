package chat

import (
	"math"
	"strings"
)

// Price is a model's list price in US dollars per million tokens.
type Price struct {
	InputPerM  float64
	OutputPerM float64
}

// PriceTable holds the on-demand list prices of a few models writers use often, as the
// vendors published them (Bedrock in us-east-1, OpenAI's API) in 2025. It is for a rough
// cost next to a reply, never for billing: prices change, regions differ, and batch or
// provisioned throughput is billed otherwise. Models not listed (local models, custom
// models behind a provisioned-throughput ARN) get no estimate.
var PriceTable = map[string]Price{
	"anthropic.claude-3-haiku-20240307-v1:0":    {0.25, 1.25},
	"anthropic.claude-3-5-haiku-20241022-v1:0":  {0.80, 4.00},
	"anthropic.claude-3-5-sonnet-20240620-v1:0": {3.00, 15.00},
	"amazon.titan-text-express-v1":              {0.20, 0.60},
	"amazon.titan-text-lite-v1":                 {0.15, 0.20},
	"amazon.nova-micro-v1:0":                    {0.035, 0.14},
	"amazon.nova-lite-v1:0":                     {0.06, 0.24},
	"amazon.nova-pro-v1:0":                      {0.80, 3.20},
	"meta.llama3-1-8b-instruct-v1:0":            {0.22, 0.22},
	"meta.llama3-1-70b-instruct-v1:0":           {0.72, 0.72},
	"gpt-4o-mini":                               {0.15, 0.60},
	"gpt-4o":                                    {2.50, 10.00},
}

// inferenceProfilePrefixes are the geography prefixes of Bedrock cross-region inference
// profiles ("us.anthropic..."), priced as the model they route to.
var inferenceProfilePrefixes = []string{"us.", "eu.", "apac.", "us-gov.", "global."}

// EstimateCost prices a reply's tokens from PriceTable; ok is false when the model is not
// listed or nothing was counted.
func EstimateCost(model string, u *Usage) (usd float64, ok bool) {
	if u == nil || u.InputTokens+u.OutputTokens == 0 {
		return 0, false
	}
	id := model
	for _, p := range inferenceProfilePrefixes {
		if strings.HasPrefix(id, p) {
			id = strings.TrimPrefix(id, p)
			break
		}
	}
	price, ok := PriceTable[id]
	if !ok {
		return 0, false
	}
	usd = (float64(u.InputTokens)*price.InputPerM + float64(u.OutputTokens)*price.OutputPerM) / 1e6
	// Round to a millionth of a dollar: finer is noise.
	return math.Round(usd*1e6) / 1e6, true
}
