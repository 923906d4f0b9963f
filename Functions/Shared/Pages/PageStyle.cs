using System.Security.Cryptography;
using System.Text;

namespace ServerlessWorkflow.Functions.Shared.Pages;

/// <summary>
/// The look of every page: Vietnamese, readable on a 360 px phone, no JavaScript, one small
/// inline style sheet allowed by its hash in the Content-Security-Policy (nothing else may run).
/// </summary>
public static class PageStyle
{
    /// <summary>The style sheet: large touch targets, system fonts (which carry Vietnamese), no web fonts.</summary>
    public const string Css = """
        :root{--ink:#1b1f23;--muted:#57606a;--line:#d0d7de;--accent:#b3261e;--ok:#1a7f37;--warn:#9a6700;--bg:#f6f8fa}
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:var(--ink);background:var(--bg)}
        header{background:var(--accent);color:#fff;padding:.75rem 1rem}
        header a{color:#fff}
        main{max-width:60rem;margin:0 auto;padding:1rem} main.wide{max-width:84rem}
        h1{font-size:1.35rem;margin:.25rem 0}
        h2{font-size:1.15rem;margin:1.25rem 0 .5rem}
        section,.card{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:0 0 1rem}
        label{display:block;font-weight:600;margin:.75rem 0 .25rem}
        input,select,textarea,button{font:inherit;width:100%;min-height:2.75rem;padding:.5rem .75rem;border:1px solid var(--line);border-radius:.4rem;background:#fff}
        textarea{min-height:6rem}
        button,.button{display:inline-block;width:auto;min-width:10rem;background:var(--accent);color:#fff;border:0;font-weight:600;cursor:pointer;text-align:center;text-decoration:none;padding:.65rem 1.25rem;margin-top:1rem}
        .muted{color:var(--muted)}
        .ok{color:var(--ok)} .late,.error{color:var(--accent)} .warn{color:var(--warn)}
        .notice{border-left:4px solid var(--ok);background:#eef8f1;padding:.75rem 1rem;margin:0 0 1rem}
        .errors{border-left:4px solid var(--accent);background:#fdf0ef;padding:.75rem 1rem;margin:0 0 1rem}
        .caution{border-left:4px solid var(--warn);background:#fff8e6;padding:.75rem 1rem;margin:.75rem 0}
        label.choice{font-weight:400;display:flex;gap:.5rem;align-items:flex-start} input.check{width:auto;min-height:0;margin:.3rem 0 0}
        table{border-collapse:collapse;width:100%}
        th,td{border-bottom:1px solid var(--line);padding:.5rem;text-align:left;vertical-align:top}
        .scroll{overflow-x:auto}
        @media (max-width:40rem){table.stack thead{display:none} table.stack tr{display:block;border-bottom:1px solid var(--line);padding:.5rem 0} table.stack td{display:block;border:0;padding:.1rem 0} table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:600}}
        a{color:#0b57d0}
        nav.office{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
        nav.office a{display:inline-block;padding:.5rem 0}
        nav.office form{margin:0}
        button.link{background:none;border:1px solid #fff;min-width:0;margin:0;padding:.4rem .9rem}
        button.secondary{background:#fff;color:var(--accent);border:1px solid var(--accent)}
        fieldset{border:1px solid var(--line);border-radius:.5rem;margin:1rem 0;padding:.25rem 1rem 1rem}
        legend{font-weight:600;padding:0 .25rem}
        .tabs a,.tabs strong{display:inline-block;padding:.5rem .75rem}
        .filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:0 1rem;align-items:end}
        .matrix th[scope=row]{position:sticky;left:0;background:#fff;min-width:11rem}
        .cell{white-space:nowrap} .cell.ok{background:#eef8f1} .cell.late{background:#fdf0ef;font-weight:600} .cell.lateok{background:#fff8e6} .na{color:var(--muted)}
        .badge{display:inline-block;font-size:.8rem;font-weight:400;background:var(--warn);color:#fff;border-radius:.25rem;padding:0 .4rem;margin-top:.25rem}
        .role{display:inline-block;font-size:.8rem;font-weight:600;border:1px solid currentColor;border-radius:.25rem;padding:0 .3rem;margin-top:.25rem}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        .months{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:1rem} table.cal caption{font-weight:600;text-align:left}
        table.cal th,table.cal td{border:0;padding:.2rem;text-align:center} .date{white-space:nowrap}
        .holiday td,.off td,.makeup td{background:#fdf0ef} .off td{background:#fff8e6} .makeup td{background:#eef8f1}
        td.holiday,.key.holiday{background:#fdf0ef;color:var(--accent);font-weight:600} td.off,.key.off{background:#fff8e6} td.makeup,.key.makeup{background:#eef8f1;font-weight:600} td.rest,.key.rest{color:var(--muted);background:var(--bg)} .key{padding:0 .4rem;border-radius:.25rem}
        ul.days{list-style:none;padding:0;margin:0} ul.days li{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;border-bottom:1px solid var(--line);padding:.5rem 0} ul.days form{margin:0} ul.days button{margin:0}
        .check{display:flex;gap:.75rem;align-items:center;font-weight:400;margin:.5rem 0} label.check input{width:2.75rem;flex:none}
        .check input{width:2.75rem;height:2.75rem;min-height:2.75rem;margin:0;flex:none}
        .privacy{border:1px solid var(--line);border-radius:.5rem;background:var(--bg);padding:0 1rem .5rem;margin-top:1rem} .privacy h2{font-size:1rem} .privacy ul{padding-left:1.25rem;margin:.25rem 0}
        .actions{display:flex;flex-wrap:wrap;gap:0 .75rem} .actions form{margin:0}
        code.secret{font-size:1.2rem;letter-spacing:.05em;background:#fff8e6;padding:.1rem .4rem;overflow-wrap:anywhere}
        figure.qr{margin:.5rem 0} figure.qr svg{width:12rem;max-width:100%;height:auto}
        nav.office a.me{margin-left:auto;font-weight:600}
        div.warn,p.warn{border-left:4px solid var(--warn);background:#fff8e6;padding:.75rem 1rem;margin:0 0 1rem;color:var(--ink)}
        .bound{display:flex;flex-wrap:wrap;gap:.25rem .5rem;align-items:center;margin:.25rem 0} .bound select{flex:1 1 12rem;width:auto}
        summary{cursor:pointer;overflow-wrap:anywhere} details.statistics>summary{font-weight:600;margin:.75rem 0} tr.total td{font-weight:600}
        ul.units{list-style:none;padding:0;margin:0} ul.units>li{border-bottom:1px solid var(--line);padding:.6rem 0} ul.units .mail{overflow-wrap:anywhere} ul.units ul{margin:.25rem 0;padding-left:1.25rem}
        details>summary{min-height:2.75rem;padding:.5rem 0}
        figure.chart{margin:0} figure.chart figcaption{font-weight:600;margin-bottom:.25rem} .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1.25rem}
        .actions{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center} .actions .button{margin-top:0}
        .pager{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center;margin:.75rem 0} .pager a{display:inline-block;padding:.5rem 0}
        .nowrap{white-space:nowrap} td.note{white-space:pre-line;overflow-wrap:anywhere} ul.files{margin:0;padding-left:1.1rem} ul.files a{overflow-wrap:anywhere}
        .doc{font-family:"Times New Roman",Times,serif;font-size:1.05rem;max-width:46rem;margin:0 auto}
        .doc .heading{display:grid;grid-template-columns:1fr 1.3fr;gap:1rem;text-align:center;margin-bottom:1.5rem}
        .doc .heading p{margin:0} .doc .motto{font-weight:700;text-decoration:underline} .doc .place{font-style:italic;margin-top:.5rem} .doc .number{white-space:pre}
        .doc h1{text-align:center;font-size:1.25rem;margin:1rem 0 0} .doc .gist{text-align:center;font-weight:700;margin:0 0 1rem}
        .doc h2{font-size:1.05rem;text-transform:uppercase} .doc p.body{text-indent:2.5rem;text-align:justify}
        .doc .closing{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin-top:1.5rem} .doc .sign{text-align:center;font-weight:700}
        .doc .recipients p{margin:0;font-size:.9rem} .doc .recipients .label{font-weight:700;font-style:italic;text-decoration:underline}
        @media screen and (max-width:40rem){
        main{padding:.5rem} section,.card{padding:.75rem}
        table.cards thead{display:none}
        table.cards,table.cards tbody,table.cards tr,table.cards td,table.cards tr>th{display:block;width:100%}
        table.cards tr{border:1px solid var(--line);border-radius:.4rem;margin:0 0 .6rem;padding:.25rem .6rem}
        table.cards td,table.cards tr>th{border:0;padding:.15rem 0}
        table.cards td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:var(--muted)}
        table.cards td.num{text-align:left}
        .matrix .cell{white-space:normal;min-width:7.5rem}
        .matrix th[scope=row]{min-width:8.5rem;max-width:10rem}
        .doc .heading,.doc .closing{grid-template-columns:1fr} .doc p.body{text-align:left;text-indent:1.5rem}
        }
        @media print{
        @page{size:A4;margin:2cm 1.5cm 2cm 3cm}
        body{background:#fff;color:#000;font:13pt/1.45 "Times New Roman",Times,serif}
        header,nav,form,.no-print{display:none!important}
        main,main.wide{max-width:none;margin:0;padding:0}
        section,.card{border:0;padding:0;margin:0 0 .5rem}
        a{color:#000;text-decoration:none}
        tr,.doc .closing{break-inside:avoid}
        .doc{max-width:none}
        }
        """;

    /// <summary>The Content-Security-Policy of every page: no scripts, this style sheet only, forms post back here.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)))}'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
}
