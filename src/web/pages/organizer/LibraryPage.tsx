import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { DocumentTable, DocumentUpload } from '../../features/library/Documents.tsx';
import { Indicators } from '../../features/library/Indicators.tsx';
import { LibrarySearch } from '../../features/library/Search.tsx';

/** The data library (数据支撑库): search, documents with upload, and indicator tables. */
export function LibraryPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('integration.library.title')}>
      <Tabs
        items={[
          { key: 'search', label: t('integration.library.tabs.search'), children: <LibrarySearch /> },
          { key: 'documents', label: t('integration.library.tabs.documents'), children: <DocumentTable /> },
          { key: 'upload', label: t('integration.library.tabs.upload'), children: <DocumentUpload /> },
          { key: 'indicators', label: t('integration.library.tabs.indicators'), children: <Indicators /> },
        ]}
      />
    </Card>
  );
}
