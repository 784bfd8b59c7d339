from a3lign_mmaction.models.recognizers import parameter_table


def test_rows_per_group_fixed_modules_and_total(build_tiny_model):
    model = build_tiny_model()
    rows = {row['module']: row for row in parameter_table(model)}
    assert rows['prompts'] == {
        'module': 'prompts',
        'parameters': model.cls_head.prompts.numel(),
        'stage 1': 'train',
        'stage 2': 'frozen',
        'stage 3': 'train'
    }
    assert rows['video_encoder']['stage 1'] == 'frozen'
    # Groups without parameters (no learnable temperature) are left out.
    assert 'temperature' not in rows
    # The frozen CLIP towers are in no group.
    assert rows['backbone (fixed)']['stage 3'] == 'frozen'
    assert rows['total'] == dict(
        module='total',
        parameters=sum(p.numel() for p in model.parameters()))
    grouped = sum(row['parameters'] for name, row in rows.items()
                  if name != 'total')
    assert grouped == rows['total']['parameters']


def test_columns_of_given_stages(build_tiny_model):
    model = build_tiny_model()
    spec = dict(train=['video_encoder'], video_path='encoder')
    rows = parameter_table(model, {'BAP stage 2/3': spec})
    assert list(rows[0]) == ['module', 'parameters', 'BAP stage 2/3']
    trained = [r['module'] for r in rows if r.get('BAP stage 2/3') ==
               'train']
    assert trained == ['video_encoder']
