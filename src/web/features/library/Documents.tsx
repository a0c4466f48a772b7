import { UploadOutlined } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import {
  Button,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Progress,
  Select,
  Table,
  Tag,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import type { DocumentKind, LibraryDocument, UploadMeta, Visibility } from './api.ts';
import {
  DOCUMENT_KINDS,
  PAGE_SIZE,
  useDeleteDocument,
  useDocuments,
  useUploadDocument,
  VISIBILITIES,
} from './api.ts';
import { acceptsFile, DOCUMENT_EXTENSIONS, formatBytes, titleFromFileName } from './snippet.ts';

interface UploadValues {
  kind: DocumentKind;
  visibility: Visibility;
  title?: string;
  source?: string;
  year?: number | null;
  issuingBody?: string;
}

/** Adds a document with its source, year and issuing body; shows how far the upload is. */
export function DocumentUpload({ planId }: { planId?: string }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<UploadValues>();
  const [file, setFile] = useState<File | null>(null);
  const [percent, setPercent] = useState(0);
  const [fileError, setFileError] = useState<string | null>(null);
  const upload = useUploadDocument(setPercent);
  const submit = (values: UploadValues) => {
    if (!file) {
      setFileError(t('integration.library.pickFile'));
      return;
    }
    const meta: UploadMeta = {
      kind: values.kind,
      visibility: values.visibility,
      title: values.title?.trim() || titleFromFileName(file.name),
      source: values.source?.trim(),
      issuingBody: values.issuingBody?.trim(),
      ...(values.year ? { year: values.year } : {}),
      ...(values.visibility === 'plan' && planId ? { planId } : {}),
    };
    setPercent(0);
    upload.mutate(
      { file, meta },
      {
        onSuccess: () => {
          form.resetFields();
          setFile(null);
        },
      },
    );
  };
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{ kind: 'yearbook', visibility: 'all' }}
      style={{ maxWidth: 640 }}
    >
      <Form.Item
        label={t('integration.library.file')}
        required
        validateStatus={fileError ? 'error' : undefined}
        help={fileError ?? t('integration.library.fileHint')}
      >
        <Upload
          accept=".pdf,.docx,.xlsx,.txt"
          maxCount={1}
          beforeUpload={(picked) => {
            if (!acceptsFile(picked.name, DOCUMENT_EXTENSIONS)) {
              setFileError(t('integration.library.unsupported', { name: picked.name }));
              setFile(null);
              return Upload.LIST_IGNORE;
            }
            setFileError(null);
            setFile(picked);
            return false;
          }}
          onRemove={() => setFile(null)}
          fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
        >
          <Button icon={<UploadOutlined />}>{t('integration.library.chooseFile')}</Button>
        </Upload>
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item name="kind" label={t('integration.library.kind')} style={{ minWidth: 160 }}>
          <Select
            options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`integration.library.kinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="visibility" label={t('integration.library.visibility')} style={{ minWidth: 160 }}>
          <Select
            options={VISIBILITIES.filter((v) => v !== 'plan' || planId).map((v) => ({
              value: v,
              label: t(`integration.library.visibilities.${v}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="year" label={t('integration.library.year')}>
          <InputNumber min={1900} max={2200} precision={0} style={{ width: 120 }} />
        </Form.Item>
      </Flex>
      <Form.Item name="title" label={t('integration.library.docTitle')}>
        <Input maxLength={300} />
      </Form.Item>
      <Flex gap={12} wrap>
        <Form.Item name="source" label={t('integration.library.source')} style={{ flex: '1 1 200px' }}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item
          name="issuingBody"
          label={t('integration.library.issuingBody')}
          style={{ flex: '1 1 200px' }}
        >
          <Input maxLength={300} />
        </Form.Item>
      </Flex>
      {upload.isPending && <Progress percent={percent} size="small" />}
      {upload.isError && <ErrorAlert error={upload.error} />}
      {upload.isSuccess && (
        <Tag color="green" data-testid="upload-done">
          {t('integration.library.uploaded', {
            title: upload.data.title,
            count: upload.data.passageCount,
          })}
        </Tag>
      )}
      <Button type="primary" htmlType="submit" loading={upload.isPending} style={{ marginTop: 8 }}>
        {t('integration.library.upload')}
      </Button>
    </Form>
  );
}

/** The documents the reader may see, newest first, filtered by kind, year or words of the title. */
export function DocumentTable() {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<DocumentKind | undefined>();
  const [text, setText] = useState('');
  const [page, setPage] = useState(1);
  const documents = useDocuments({ kind, text: text || undefined }, page);
  const remove = useDeleteDocument();
  const columns: TableColumnsType<LibraryDocument> = [
    { title: t('integration.library.docTitle'), dataIndex: 'title', width: 240 },
    {
      title: t('integration.library.kind'),
      dataIndex: 'kind',
      width: 100,
      render: (k: DocumentKind) => t(`integration.library.kinds.${k}`),
    },
    {
      title: t('integration.library.year'),
      dataIndex: 'year',
      width: 80,
      render: (y: number | null) => y ?? '—',
    },
    {
      title: t('integration.library.source'),
      dataIndex: 'source',
      width: 160,
      render: (s: string | null) => s ?? '—',
    },
    {
      title: t('integration.library.issuingBody'),
      dataIndex: 'issuingBody',
      width: 160,
      render: (s: string | null) => s ?? '—',
    },
    {
      title: t('integration.library.size'),
      key: 'size',
      width: 160,
      render: (_, d) =>
        `${d.format.toUpperCase()} · ${formatBytes(d.size)} · ${t('integration.library.passages', { count: d.passageCount })}`,
    },
    {
      title: t('integration.library.addedAt'),
      dataIndex: 'createdAt',
      width: 120,
      render: (at: string) => new Date(at).toLocaleDateString(i18n.language),
    },
    {
      title: t('integration.library.actions'),
      key: 'actions',
      width: 150,
      render: (_, d) => (
        <Flex gap={8}>
          <a href={`/api/v1/library/documents/${d.id}/file`} download>
            {t('integration.library.download')}
          </a>
          <Popconfirm
            title={t('integration.library.deleteConfirm')}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() => remove.mutate(d.id)}
          >
            <Button size="small" type="link" danger>
              {t('integration.library.delete')}
            </Button>
          </Popconfirm>
        </Flex>
      ),
    },
  ];
  return (
    <Flex vertical gap={8}>
      <Flex gap={8} wrap>
        <Input.Search
          aria-label={t('integration.library.filterText')}
          placeholder={t('integration.library.filterText')}
          allowClear
          onSearch={(v) => {
            setText(v.trim());
            setPage(1);
          }}
          style={{ flex: '1 1 200px', maxWidth: 320 }}
        />
        <Select
          aria-label={t('integration.library.kind')}
          allowClear
          placeholder={t('integration.library.kind')}
          value={kind}
          onChange={(k: DocumentKind | undefined) => {
            setKind(k);
            setPage(1);
          }}
          options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`integration.library.kinds.${k}`) }))}
          style={{ minWidth: 140 }}
        />
      </Flex>
      {documents.isError && <ErrorAlert error={documents.error} onRetry={() => void documents.refetch()} />}
      {remove.isError && <ErrorAlert error={remove.error} />}
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={documents.data?.items ?? []}
        loading={documents.isFetching}
        scroll={{ x: 1100 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: documents.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
      />
    </Flex>
  );
}
