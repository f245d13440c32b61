#!/usr/bin/env python3
"""ops/token_entities (C++, through test/ner/token_entities_harness.cc) against
HF transformers' own TokenClassificationPipeline aggregation
(gather_pre_entities + aggregate, called on the pipeline's methods without a
PyTorch model) on models/random-bert-ner (random weights): HF's fast tokenizer
and ONNX Runtime give the tokens and logits; both sides see the same ones.
For each aggregation strategy, entities, labels, words, character offsets and
the index (none) must be equal, scores within 1e-5, and the byte offsets must
cut the same text as the character offsets. Usage: check_vs_hf.py HARNESS"""
import json, os, subprocess, sys

import numpy as np
import onnxruntime as ort
from transformers import PreTrainedTokenizerFast
from transformers.pipelines.token_classification import TokenClassificationPipeline, AggregationStrategy
M=os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'models', 'random-bert-ner')
tok=PreTrainedTokenizerFast(tokenizer_file=M+'/tokenizer.json', unk_token='[UNK]', cls_token='[CLS]', sep_token='[SEP]', pad_token='[PAD]')
cfg=json.load(open(M+'/config.json')); id2label={int(k):v for k,v in cfg['id2label'].items()}
class Cfg: pass
class Mod: pass
p=TokenClassificationPipeline.__new__(TokenClassificationPipeline); p.tokenizer=tok; m=Mod(); m.config=Cfg(); m.config.id2label=id2label; p.model=m
sess=ort.InferenceSession(M+'/model.onnx')
texts=["John Smith works at Google in New York.","你好,世界 Angela Merkel visited Paris!","cafe\u0301 naïve 😀 Ünïcödé don't it's","Washington-based Microsoft's CEO Satya Nadella","x"*3+" unbelievably antidisestablishmentarianism"]
inp=[];refs=[]
for t in texts:
    enc=tok(t, return_offsets_mapping=True, return_special_tokens_mask=True)
    ids=np.array([enc['input_ids']]); logits=sess.run(['logits'],{'input_ids':ids,'attention_mask':np.ones_like(ids),'token_type_ids':np.zeros_like(ids)})[0][0]
    e=logits-logits.max(-1,keepdims=True); sc=np.exp(e)/np.exp(e).sum(-1,keepdims=True)
    tb=t.encode(); rows=[]
    cb=lambda c: len(t[:c].encode())
    for i,(s,en) in enumerate(enc['offset_mapping']):
        if enc['special_tokens_mask'][i]: continue
        tk=tok.convert_ids_to_tokens(int(ids[0,i]))
        rows.append(f"{i} {int(ids[0,i]==tok.unk_token_id)} {cb(s)} {cb(en)} {tk.encode().hex()} "+" ".join(repr(float(v)) for v in logits[i]))
    inp.append(f"{tb.hex()} {len(rows)}"); inp+=rows
    pre=p.gather_pre_entities(t, ids[0], sc, np.array(enc['offset_mapping']), np.array(enc['special_tokens_mask']), AggregationStrategy.NONE)
    per=[]
    for a in ["none","simple","first","average","max"]:
        pre=p.gather_pre_entities(t, ids[0], sc, np.array(enc['offset_mapping']), np.array(enc['special_tokens_mask']), AggregationStrategy(a))
        g=p.aggregate(pre, AggregationStrategy(a))
        per.append([x for x in g if x.get('entity',None)!='O' and x.get('entity_group',None)!='O'])
    refs.append(per)
out=subprocess.run([sys.argv[1]],input="\n".join(inp)+"\n",capture_output=True,text=True,check=True).stdout.splitlines()
bad=0;n=0
for ti,t in enumerate(texts):
    for si,a in enumerate(["none","simple","first","average","max"]):
        ours=json.loads(out[ti*5+si]); ref=refs[ti][si]; n+=len(ref)
        key='entity' if a=='none' else 'entity_group'
        ok=len(ours)==len(ref) and all(o[key]==r[key] and o['word']==r['word'] and o['start']==r['start'] and o['end']==r['end'] and abs(o['score']-float(r['score']))<1e-5 and (a!='none' or o['index']==r['index']) and t.encode()[o['start_byte']:o['end_byte']].decode()==t[o['start']:o['end']] for o,r in zip(ours,ref))
        if not ok:
            bad+=1; print("MISMATCH",repr(t),a); print(" ours",ours[:4]); print(" ref ",[{k:(float(v) if k=='score' else v) for k,v in r.items()} for r in ref[:4]])
print(f"{len(texts)} texts x 5 strategies, {n} reference entities, mismatches: {bad}")
sys.exit(1 if bad or n == 0 else 0)
