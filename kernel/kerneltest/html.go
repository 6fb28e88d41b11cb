package kerneltest

import (
	"html/template"
	"io"
	"strings"
	"time"
)

// htmlPage is the report: a summary, then one section per case with its
// verdict, its checks (expected against actual), the outcome and the
// annotated trace. Self-contained: inline style, no script, no external
// resource.
var htmlPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"join": strings.Join,
	"dur":  func(d time.Duration) time.Duration { return d.Round(100 * time.Microsecond) },
	"anchor": func(id string) string {
		return "case-" + strings.Map(func(r rune) rune {
			if r == '.' {
				return '-'
			}
			return r
		}, id)
	},
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px 32px; color: #1d2329; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0; }
.sub { color: #5b6570; margin: 0 0 16px; }
.totals { display: flex; gap: 12px; margin: 12px 0 20px; }
.tile { padding: 10px 16px; border-radius: 8px; font-size: 20px; font-weight: 600; }
.tile span { display: block; font-size: 12px; font-weight: 400; }
.tile.all { background: #e8eef5; } .tile.ok { background: #d9f2df; color: #14532d; } .tile.ko { background: #fbdcdc; color: #7f1d1d; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #d5dbe1; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f1f4f7; font-weight: 600; }
td.mono, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
tr.bad td { background: #fdecec; }
section { border: 1px solid #d5dbe1; border-left: 6px solid #2f9e44; border-radius: 6px; padding: 12px 16px; margin: 14px 0; }
section.fail { border-left-color: #d9480f; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 700; color: #fff; margin-right: 8px; }
.badge.pass { background: #2f9e44; } .badge.fail { background: #d9480f; }
.meta { color: #5b6570; margin: 4px 0 8px; }
.first { font-weight: 600; color: #9a2c0b; margin: 6px 0; }
dl { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; margin: 8px 0; }
dt { color: #5b6570; } dd { margin: 0; }
pre { background: #f6f8fa; border: 1px solid #d5dbe1; border-radius: 4px; padding: 8px; overflow-x: auto; font-size: 12px; line-height: 1.35; max-height: 520px; }
ul.index { columns: 3; font-size: 12.5px; padding-left: 18px; }
ul.index a.fail { color: #d9480f; font-weight: 600; } ul.index a.pass { color: #1d2329; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="sub">{{.Summary.Total}} cases; total case time {{.Duration}}</p>
<div class="totals">
<div class="tile all">{{.Summary.Total}}<span>cases</span></div>
<div class="tile ok">{{.Summary.Passed}}<span>passed</span></div>
<div class="tile ko">{{.Summary.Failed}}<span>failed</span></div>
</div>
<table>
<tr><th>area</th><th>cases</th><th>failed</th></tr>
{{range .Areas}}<tr{{if .Failed}} class="bad"{{end}}><td>{{.Name}}</td><td>{{.Total}}</td><td>{{.Failed}}</td></tr>
{{end}}</table>
<ul class="index">
{{range .Results}}<li><a class="{{if .Passed}}pass{{else}}fail{{end}}" href="#{{anchor .Case.ID}}">{{.Case.ID}}</a></li>
{{end}}</ul>
{{range .Results}}
<section id="{{anchor .Case.ID}}" class="{{if .Passed}}pass{{else}}fail{{end}}">
<h2><span class="badge {{if .Passed}}pass{{else}}fail{{end}}">{{if .Passed}}PASS{{else}}FAIL{{end}}</span>{{.Case.ID}}</h2>
<div>{{.Case.Title}}</div>
<div class="meta">{{.Case.Requirement}} · area {{.Case.Area}} · {{.Case.File}} · {{dur .Duration}}</div>
{{if .Case.Notes}}<div class="meta">{{.Case.Notes}}</div>{{end}}
{{if not .Passed}}<div class="first">{{.Summary}}</div>{{end}}
{{if .Checks}}<table>
<tr><th>checked</th><th>expected</th><th>actual</th><th></th></tr>
{{range .Checks}}<tr{{if not .OK}} class="bad"{{end}}><td>{{.Field}}</td><td class="mono">{{.Expected}}</td><td class="mono">{{.Actual}}</td><td>{{if .OK}}✓{{else}}✗{{end}}</td></tr>
{{end}}</table>{{end}}
{{with .Actual}}<dl>
<dt>result</dt><dd>{{.Result}} — {{.Reason}}</dd>
{{if .Error}}<dt>error</dt><dd class="mono">{{.Error}}</dd>{{end}}
<dt>application</dt><dd class="mono">{{.AID}} {{if .SelectionRule}}({{.SelectionRule}}, {{.SelectionMethod}}){{end}}</dd>
<dt>ODA</dt><dd>{{.ODA}}{{if .ODAOK}} ✓{{end}}{{if .ODAError}} — {{.ODAError}}{{end}}</dd>
<dt>TVR</dt><dd><span class="mono">{{.TVR}}</span> {{join .TVRNames ", "}}</dd>
<dt>TSI</dt><dd><span class="mono">{{.TSI}}</span> {{join .TSINames ", "}}</dd>
<dt>CVM Results</dt><dd><span class="mono">{{.CVMResults}}</span> {{.CVMText}}</dd>
<dt>cryptograms</dt><dd>{{join .CID ", "}}</dd>
{{if .ARC}}<dt>ARC</dt><dd class="mono">{{.ARC}}</dd>{{end}}
{{if .ScriptResults}}<dt>script results</dt><dd class="mono">{{.ScriptResults}}</dd>{{end}}
<dt>reversal</dt><dd>{{.Reversal}}</dd>
<dt>DE 55</dt><dd class="mono">{{join .DE55Tags " "}}</dd>
</dl>{{end}}
{{if .Err}}<div class="first">{{.Err}}</div>{{end}}
{{if .Trace}}<details{{if not .Passed}} open{{end}}><summary>APDU trace</summary><pre>{{.Trace}}</pre></details>{{end}}
</section>
{{end}}
</body>
</html>
`))

type htmlArea struct {
	Name          string
	Total, Failed int
}

// WriteHTML writes a self-contained HTML report of results: the counts by
// area, then one section per case with its verdict, expected against
// actual, the outcome and the annotated APDU trace (secrets masked).
func WriteHTML(w io.Writer, title string, results []*Result) error {
	s := Summarise(results)
	var areas []htmlArea
	for _, a := range s.Areas() {
		areas = append(areas, htmlArea{Name: a, Total: s.ByArea[a], Failed: s.FailedByArea[a]})
	}
	if title == "" {
		title = "yixin certification report"
	}
	return htmlPage.Execute(w, map[string]any{
		"Title": title, "Summary": s, "Areas": areas, "Results": results, "Duration": s.Duration.Round(1e6),
	})
}
