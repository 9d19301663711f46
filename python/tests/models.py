"""Small Transformer blocks, written the way PyTorch users write them."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

TOKENS, DIM, HEADS, HIDDEN = 17, 64, 4, 256
LLAMA_TOKENS, LLAMA_HIDDEN = 7, 176


class DynamicTanh(nn.Module):
    """DyT from "Transformers without Normalization" (the paper's code), with
    an option to drop the bias."""

    def __init__(self, normalized_shape, channels_last=True, alpha_init_value=0.5,
                 bias=True):
        super().__init__()
        self.normalized_shape = normalized_shape
        self.alpha_init_value = alpha_init_value
        self.channels_last = channels_last
        self.alpha = nn.Parameter(torch.ones(1) * alpha_init_value)
        self.weight = nn.Parameter(torch.ones(normalized_shape))
        self.bias = nn.Parameter(torch.zeros(normalized_shape)) if bias else None

    def forward(self, x):
        x = torch.tanh(self.alpha * x)
        if self.channels_last:
            x = x * self.weight
            if self.bias is not None:
                x = x + self.bias
        else:
            x = x * self.weight[:, None, None]
            if self.bias is not None:
                x = x + self.bias[:, None, None]
        return x


class LlamaRMSNorm(nn.Module):
    """Verbatim from HuggingFace transformers (modeling_llama.py)."""

    def __init__(self, hidden_size, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden_size))
        self.variance_epsilon = eps

    def forward(self, hidden_states):
        input_dtype = hidden_states.dtype
        hidden_states = hidden_states.to(torch.float32)
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        hidden_states = hidden_states * torch.rsqrt(variance + self.variance_epsilon)
        return self.weight * hidden_states.to(input_dtype)


class Attention(nn.Module):
    """timm-style ViT attention: fused qkv with bias, softmax, projection."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, T, C = x.shape
        qkv = self.qkv(x).reshape(B, T, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q @ k.transpose(-2, -1)) * self.scale
        attn = attn.softmax(dim=-1)
        x = (attn @ v).transpose(1, 2).reshape(B, T, C)
        return self.proj(x)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class VitBlock(nn.Module):
    """Pre-norm ViT encoder block; `norm` builds each norm from the width."""

    def __init__(self, norm, dim=DIM, heads=HEADS, hidden=HIDDEN):
        super().__init__()
        self.norm1 = norm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = norm(dim)
        self.mlp = Mlp(dim, hidden)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


class LlamaAttention(nn.Module):
    """Causal self-attention with RoPE (HF's rotate-half form), no biases."""

    def __init__(self, dim, heads, tokens):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.q_proj = nn.Linear(dim, dim, bias=False)
        self.k_proj = nn.Linear(dim, dim, bias=False)
        self.v_proj = nn.Linear(dim, dim, bias=False)
        self.o_proj = nn.Linear(dim, dim, bias=False)
        inv_freq = 1.0 / (10000 ** (torch.arange(0, self.head_dim, 2).float() / self.head_dim))
        freqs = torch.outer(torch.arange(tokens).float(), inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        self.register_buffer("cos", emb.cos(), persistent=False)
        self.register_buffer("sin", emb.sin(), persistent=False)
        mask = torch.full((tokens, tokens), float("-inf")).triu(1)
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, x):
        B, T, C = x.shape
        shape = (B, T, self.heads, self.head_dim)
        q = self.q_proj(x).view(shape).transpose(1, 2)
        k = self.k_proj(x).view(shape).transpose(1, 2)
        v = self.v_proj(x).view(shape).transpose(1, 2)
        q = q * self.cos + rotate_half(q) * self.sin
        k = k * self.cos + rotate_half(k) * self.sin
        scores = q @ k.transpose(2, 3) / math.sqrt(self.head_dim) + self.mask
        probs = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        out = (probs @ v).transpose(1, 2).reshape(B, T, C)
        return self.o_proj(out)


class LlamaMLP(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.gate_proj = nn.Linear(dim, hidden, bias=False)
        self.up_proj = nn.Linear(dim, hidden, bias=False)
        self.down_proj = nn.Linear(hidden, dim, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class LlamaBlock(nn.Module):
    """A LLaMA decoder layer followed by the model's final norm."""

    def __init__(self, norm=LlamaRMSNorm, dim=DIM, heads=HEADS, hidden=LLAMA_HIDDEN,
                 tokens=LLAMA_TOKENS):
        super().__init__()
        self.input_layernorm = norm(dim)
        self.self_attn = LlamaAttention(dim, heads, tokens)
        self.post_attention_layernorm = norm(dim)
        self.mlp = LlamaMLP(dim, hidden)
        self.norm = norm(dim)

    def forward(self, x):
        x = x + self.self_attn(self.input_layernorm(x))
        x = x + self.mlp(self.post_attention_layernorm(x))
        return self.norm(x)


class ConvNeXtStem(nn.Module):
    """Channels-first DyT on NCHW activations (as in ConvNeXt), then a
    pointwise projection in channels-last."""

    def __init__(self, channels=16, out=32, bias=True):
        super().__init__()
        self.norm = DynamicTanh(channels, channels_last=False, bias=bias)
        self.pwconv = nn.Linear(channels, out)

    def forward(self, x):
        return self.pwconv(self.norm(x).permute(0, 2, 3, 1))


def randomize(module, seed=0):
    """Non-trivial parameters (norm gammas/betas are not splats), DyT alphas
    kept positive and moderate."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("alpha"):
                p.fill_(0.5 + 0.3 * torch.rand(1, generator=gen).item())
            elif p.dim() == 1 and "norm" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
    return module.eval()
